import type { TrackedClient } from './tracked-client';

/** This replica's connected clients, by the order they watch. */
export class ClientRegistry {
  private readonly byOrder = new Map<string, Set<TrackedClient>>();

  add(client: TrackedClient): void {
    const set = this.byOrder.get(client.orderId) ?? new Set<TrackedClient>();
    set.add(client);
    this.byOrder.set(client.orderId, set);
  }

  remove(client: TrackedClient): void {
    const set = this.byOrder.get(client.orderId);
    if (!set) return;
    set.delete(client);
    if (set.size === 0) this.byOrder.delete(client.orderId);
  }

  has(orderId: string): boolean {
    return this.byOrder.has(orderId);
  }

  of(orderId: string): TrackedClient[] {
    return [...(this.byOrder.get(orderId) ?? [])];
  }

  orders(): string[] {
    return [...this.byOrder.keys()];
  }

  all(): TrackedClient[] {
    return [...this.byOrder.values()].flatMap((set) => [...set]);
  }
}
