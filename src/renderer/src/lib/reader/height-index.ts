// Heights of the reader's blocks, estimated until measured, in a Fenwick tree so that both
// "where does block i start" and "which block is at this scroll position" cost O(log n),
// and one measurement updates in O(log n), for documents with 100,000+ blocks.

export class HeightIndex {
  readonly count: number
  #heights: Float64Array
  #tree: Float64Array
  #measured: Uint8Array

  constructor(count: number, estimate: (index: number) => number) {
    this.count = count
    this.#heights = new Float64Array(count)
    this.#tree = new Float64Array(count + 1)
    this.#measured = new Uint8Array(count)
    for (let index = 0; index < count; index++) {
      const height = Math.max(0, estimate(index))
      this.#heights[index] = height
      this.#tree[index + 1] = height
    }
    // Linear-time Fenwick construction.
    for (let position = 1; position <= count; position++) {
      const parent = position + (position & -position)
      if (parent <= count) this.#tree[parent] = (this.#tree[parent] ?? 0) + (this.#tree[position] ?? 0)
    }
  }

  get total(): number {
    return this.offsetOf(this.count)
  }

  heightOf(index: number): number {
    return this.#heights[index] ?? 0
  }

  isMeasured(index: number): boolean {
    return this.#measured[index] === 1
  }

  /** Sets a block's real height; returns the change (0 when unchanged). */
  setHeight(index: number, height: number): number {
    if (index < 0 || index >= this.count) return 0
    this.#measured[index] = 1
    const delta = height - (this.#heights[index] ?? 0)
    if (delta === 0) return 0
    this.#heights[index] = height
    for (let position = index + 1; position <= this.count; position += position & -position) {
      this.#tree[position] = (this.#tree[position] ?? 0) + delta
    }
    return delta
  }

  /** Distance from the top of the document to the top of block `index`. */
  offsetOf(index: number): number {
    let sum = 0
    for (let position = Math.min(index, this.count); position > 0; position -= position & -position) sum += this.#tree[position] ?? 0
    return sum
  }

  /** The block at vertical position `y` (clamped to the first/last block). */
  indexAt(y: number): number {
    if (this.count === 0) return 0
    if (y <= 0) return 0
    let position = 0
    let remaining = y
    let step = 1
    while (step * 2 <= this.count) step *= 2
    for (; step > 0; step >>= 1) {
      const next = position + step
      const size = this.#tree[next] ?? 0
      if (next <= this.count && size <= remaining) {
        position = next
        remaining -= size
      }
    }
    return Math.min(position, this.count - 1)
  }
}
