// The end of `npm test`: what failed and why, what was skipped and why, counts per tier, then the
// closing line CI reads.
const { closingLine, countByTier } = require('./tally');

/** Prints the summary and returns how many outcomes failed. */
function printSummary(outcomes, elapsedMs, log = console.log) {
  const { tiers, total } = countByTier(outcomes);
  const failed = outcomes.filter((o) => o.status === 'failed');
  const skipped = outcomes.filter((o) => o.status === 'skipped');
  log('');
  if (skipped.length > 0) {
    log(`Skipped (${skipped.length}):`);
    for (const o of skipped) log(`  - [${o.tier}] ${o.name}: ${o.reason}`);
  }
  if (failed.length > 0) {
    log(`Failed (${failed.length}):`);
    for (const o of failed) log(`  ✗ [${o.tier}] ${o.name}: ${o.reason ?? 'failed'}`);
  }
  for (const [tier, counts] of tiers) log(`${tier}: ${closingLine(counts)}`);
  log(`time: ${(elapsedMs / 1000).toFixed(0)} s`);
  log(closingLine(total));
  return total.failed;
}

module.exports = { printSummary };
