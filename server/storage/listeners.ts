/** A set of callbacks; one that throws does not keep the others from hearing (it is logged). */
export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...args: A) => void>();

  get size(): number {
    return this.set.size;
  }

  /** Returns the function that removes it. */
  add(listener: (...args: A) => void): () => void {
    this.set.add(listener);
    return () => void this.set.delete(listener);
  }

  emit(...args: A): void {
    for (const listener of this.set) {
      try {
        listener(...args);
      } catch (error) {
        console.error('storage: a change listener failed:', error);
      }
    }
  }
}
