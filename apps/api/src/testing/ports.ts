/** The public surface of a class: what a fake standing in for it must offer (private members excluded). */
export type PublicPort<T> = { [K in keyof T]: T[K] };
