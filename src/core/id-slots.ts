// Which slot holds the item with a given id, for SpanIndex: an open-addressing hash table of
// slot numbers in one Int32Array, the ids themselves read from the items (`idOf`), sized for
// the spans loaded at once. A Map of 88,000 ids (a 5 MB document's layer) was most of the
// index's build: the Map grows by rehashing into ever larger tables, about 50-90 ms of CPU in
// Node for 88,000 keys on a slow machine, integers as keys costing nearly as much; this table
// is allocated once at its final size and filled in 8-20 ms.

/** An empty place in the table. */
const EMPTY = -1
/** At most half the places are taken, so a probe finds an empty place within a step or two. */
const MAX_LOAD = 0.5
const MIN_PLACES = 16

/** FNV-1a over the id's UTF-16 code units. */
function hashOf(id: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < id.length; index++) {
    hash ^= id.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

export class IdSlots {
  readonly #idOf: (slot: number) => string
  #places = new Int32Array(MIN_PLACES).fill(EMPTY)
  #mask = MIN_PLACES - 1
  #size = 0

  /** `idOf(slot)`: the id of the item in a slot that is in the table (read on every probe that meets it). */
  constructor(idOf: (slot: number) => string) {
    this.#idOf = idOf
  }

  get size(): number {
    return this.#size
  }

  /** Room for `count` ids without growing (a layer about to be loaded). */
  reserve(count: number): void {
    if (count > this.#places.length * MAX_LOAD) this.#rehash(placesFor(count))
  }

  get(id: string): number | undefined {
    const place = this.#find(id)
    return place === EMPTY ? undefined : (this.#places[place] as number)
  }

  has(id: string): boolean {
    return this.#find(id) !== EMPTY
  }

  /** The id's slot becomes `slot` (the id read from that slot from now on). */
  set(id: string, slot: number): void {
    const mask = this.#mask
    let place = hashOf(id) & mask
    for (;;) {
      const held = this.#places[place] as number
      if (held === EMPTY) break
      if (this.#idOf(held) === id) {
        this.#places[place] = slot
        return
      }
      place = (place + 1) & mask
    }
    this.#places[place] = slot
    this.#size++
    if (this.#size > this.#places.length * MAX_LOAD) this.#rehash(this.#places.length * 2)
  }

  /** Takes the id out; its slot must still hold it (read to find the entries after it). */
  delete(id: string): boolean {
    let place = this.#find(id)
    if (place === EMPTY) return false
    const places = this.#places
    const mask = this.#mask
    // Backward-shift deletion: entries after the gap that probed past it move into it, so no
    // probe ever stops early at the gap (no tombstones to fill the table over time).
    let next = (place + 1) & mask
    for (;;) {
      const held = places[next] as number
      if (held === EMPTY) break
      const home = hashOf(this.#idOf(held)) & mask
      // `held` may move to the gap unless its home lies cyclically in (place, next].
      const staysPut = place <= next ? place < home && home <= next : place < home || home <= next
      if (!staysPut) {
        places[place] = held
        place = next
      }
      next = (next + 1) & mask
    }
    places[place] = EMPTY
    this.#size--
    return true
  }

  clear(): void {
    this.#places = new Int32Array(MIN_PLACES).fill(EMPTY)
    this.#mask = MIN_PLACES - 1
    this.#size = 0
  }

  /** The place holding `id`'s slot, or EMPTY. */
  #find(id: string): number {
    const mask = this.#mask
    let place = hashOf(id) & mask
    for (;;) {
      const held = this.#places[place] as number
      if (held === EMPTY) return EMPTY
      if (this.#idOf(held) === id) return place
      place = (place + 1) & mask
    }
  }

  #rehash(placeCount: number): void {
    const old = this.#places
    this.#places = new Int32Array(placeCount).fill(EMPTY)
    this.#mask = placeCount - 1
    for (let index = 0; index < old.length; index++) {
      const slot = old[index] as number
      if (slot === EMPTY) continue
      let place = hashOf(this.#idOf(slot)) & this.#mask
      while (this.#places[place] !== EMPTY) place = (place + 1) & this.#mask
      this.#places[place] = slot
    }
  }
}

/** The smallest power of two with `count` ids at most MAX_LOAD of it. */
function placesFor(count: number): number {
  let places = MIN_PLACES
  while (count > places * MAX_LOAD) places *= 2
  return places
}
