/**
 * mulberry32: a tiny, well-known 32-bit PRNG. The sample catalogue must be byte-identical on
 * every run and every machine, so nothing here may touch Math.random or the clock.
 */
export type Random = () => number

export function mulberry32(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The element of a non-empty list that a draw in [0, 1) lands on, uniformly. */
export function choose<T>(list: readonly T[], draw: number): T {
  const value = list[Math.floor(draw * list.length)]
  if (value === undefined) throw new Error('choose from an empty list')
  return value
}

/** The first `count` elements of a Fisher–Yates shuffle of `list` (the list is not modified). */
export function sample<T>(random: Random, list: readonly T[], count: number): T[] {
  if (count > list.length) throw new Error(`cannot take ${count} of ${list.length}`)
  const copy = [...list]
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (copy.length - i))
    const a = copy[i] as T
    copy[i] = copy[j] as T
    copy[j] = a
  }
  return copy.slice(0, count)
}
