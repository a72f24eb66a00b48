/**
 * The data ClickHouse answered cannot be turned into an exact answer (a count past 2^53, money not an
 * integer): a fault of the data or the code, answered 500, never taken for ClickHouse being down.
 */
export class AnswerDataError extends Error {}
