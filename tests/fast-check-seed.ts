// Property tests in `npm test` start from one fixed seed, so a CI run is repeatable: a failure
// is a regression that reruns the same way, never bad luck on the day. To look for new
// counterexamples, run them from fresh seeds: QUIRE_FC_SEED=random npx vitest run --project unit
// --project component (a counterexample found that way goes into the test's `examples`).
import fc from 'fast-check'

const chosen = process.env.QUIRE_FC_SEED
if (chosen !== 'random') {
  const seed = chosen === undefined ? 20_261_201 : Number(chosen)
  if (!Number.isInteger(seed)) throw new Error(`QUIRE_FC_SEED must be an integer or "random", not ${chosen}`)
  fc.configureGlobal({ seed })
}
