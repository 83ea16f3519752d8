import type { ClientSession } from 'mongodb';
import { childEvent, type Envelope } from '@pizza/shared';
import { SERVICE } from '../config';
import { evolveAll, type Delivery, type DeliveryEvent } from '../domain/delivery';
import type { DeliveryStore } from '../store/deliveries';
import type { DeliveryContext } from './context';

/**
 * What one transaction works on: the deliveries and addresses its events need, loaded together, changed in
 * memory event after event (each step sees the ones before it), then saved together with their events.
 */
export class DeliveryWork {
  private readonly byId = new Map<string, Delivery>();
  private readonly byOrder = new Map<string, Delivery>();
  /** Every delivery touched, as it was loaded (null: created here). */
  private readonly loaded = new Map<string, Delivery | null>();
  private readonly newAddresses: { orderId: string; address: string }[] = [];
  private readonly envelopes: Envelope[] = [];

  private constructor(
    readonly now: Date,
    deliveries: readonly Delivery[],
    private readonly addresses: Map<string, string>,
  ) {
    for (const delivery of deliveries) {
      this.put(delivery);
      this.loaded.set(delivery.id, delivery);
    }
  }

  /** Loads the deliveries with these ids or of these orders, and these orders' addresses. */
  static async load(
    store: DeliveryStore,
    session: ClientSession,
    now: Date,
    wanted: { deliveryIds: readonly string[]; orderIds: readonly string[] },
  ): Promise<DeliveryWork> {
    const deliveries = await store.findMany(session, wanted.deliveryIds, wanted.orderIds);
    return new DeliveryWork(now, deliveries, await store.addressesOf(session, wanted.orderIds));
  }

  delivery(id: string): Delivery | null {
    return this.byId.get(id) ?? null;
  }

  deliveryOf(orderId: string): Delivery | null {
    return this.byOrder.get(orderId) ?? null;
  }

  addressOf(orderId: string): string | undefined {
    return this.addresses.get(orderId);
  }

  /** The first address recorded for an order stays. */
  rememberAddress(orderId: string, address: string): void {
    this.newAddresses.push({ orderId, address });
    if (!this.addresses.has(orderId)) this.addresses.set(orderId, address);
  }

  /** The delivery after its events, and the events as children of the one that caused them. */
  record(previous: Delivery | null, events: readonly DeliveryEvent[], cause: Envelope): void {
    const next = evolveAll(previous, events);
    if (!next) throw new Error('events that leave no delivery cannot be saved');
    if (!this.loaded.has(next.id)) this.loaded.set(next.id, previous);
    this.put(next);
    this.publish(events, cause);
  }

  /** Writes events to the outbox as children of the one that caused them (alone: said again, nothing changes). */
  publish(events: readonly DeliveryEvent[], cause: Envelope): void {
    const origin = { source: SERVICE, now: this.now };
    this.envelopes.push(...events.map((e) => childEvent(cause, e.type, e.data, origin)));
  }

  /** Whether anything was created, moved or said again (the outbox has events to relay). */
  get changed(): boolean {
    return this.envelopes.length > 0;
  }

  async save(ctx: Pick<DeliveryContext, 'store' | 'outbox'>, session: ClientSession): Promise<void> {
    const changes = [...this.loaded]
      .map(([id, previous]) => ({ previous, next: this.byId.get(id)! }))
      .filter(({ previous, next }) => previous !== next);
    await ctx.store.rememberAddresses(session, this.newAddresses, this.now);
    await ctx.store.saveMany(session, changes);
    await ctx.outbox.add(session, this.envelopes);
  }

  private put(delivery: Delivery): void {
    this.byId.set(delivery.id, delivery);
    this.byOrder.set(delivery.orderId, delivery);
  }
}
