import { CreateOrderRequest, formatCents, LIMITS } from '@pizza/shared/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { placeOrder } from '../api/endpoints';
import { OutOfStockError } from '../api/errors';
import { queryKeys, useMenu } from '../api/queries';
import { fitToAvailable, priceLines, toOrderItems, totalCents } from '../cart/cart';
import {
  NO_PROBLEMS,
  problemsFromError,
  problemsFromSchema,
  type CheckoutProblems,
} from '../cart/checkoutProblems';
import { attemptFor, type CheckoutAttempt } from '../cart/idempotency';
import { useCart } from '../cart/useCart';
import { EmptyCartNote } from '../components/EmptyCartNote';
import { Notice } from '../components/Notice';
import { TextField } from '../components/TextField';
import { rememberOrder, trackingPath } from '../tracking/myOrders';

export function CheckoutPage() {
  const { cart, clear, replace } = useCart();
  const items = useMenu().data?.items ?? [];
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [formProblems, setFormProblems] = useState<CheckoutProblems>(NO_PROBLEMS);
  const attempt = useRef<CheckoutAttempt | null>(null);
  // Set before mutate and cleared once it settles: a second submit in the same tick, before a
  // re-render could show isPending, must not place the order twice.
  const inFlight = useRef(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const order = useMutation({
    mutationFn: ({ request, key }: { request: CreateOrderRequest; key: string }) => placeOrder(request, key),
    onSuccess: (created) => {
      const { tracking_token: token, ...view } = created;
      rememberOrder(window.localStorage, { id: created.id, token, placed_at: created.created_at });
      queryClient.setQueryData(queryKeys.order(created.id, token), view);
      attempt.current = null;
      clear();
      void navigate(trackingPath({ id: created.id, token }));
    },
    // Stock has moved: show the fresh numbers on the menu and cart too.
    onError: () => void queryClient.invalidateQueries({ queryKey: queryKeys.menu }),
    onSettled: () => {
      inFlight.current = false;
    },
  });

  // A changed cart is a new attempt: answers about the old one no longer apply.
  const { reset } = order;
  useEffect(() => reset(), [cart, reset]);

  const problems = order.isError ? problemsFromError(order.error, cart.lines) : formProblems;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (inFlight.current) return;
    const parsed = CreateOrderRequest.safeParse({ items: toOrderItems(cart), customer: { name, address } });
    if (!parsed.success) return setFormProblems(problemsFromSchema(parsed.error, cart.lines));
    setFormProblems(NO_PROBLEMS);
    attempt.current = attemptFor(attempt.current, parsed.data);
    inFlight.current = true;
    order.mutate({ request: parsed.data, key: attempt.current.key });
  };

  if (cart.lines.length === 0 && !order.isSuccess) {
    return <EmptyCartNote />;
  }

  const outOfStock = order.error instanceof OutOfStockError ? order.error.items : [];
  const orderWhatIsAvailable = () =>
    replace(fitToAvailable(cart, new Map(outOfStock.map((item) => [item.item_id, item.available]))));

  return (
    <form onSubmit={submit} noValidate className="grid gap-8 md:grid-cols-2">
      <section aria-labelledby="summary-heading" className="space-y-3">
        <h1 id="summary-heading" className="text-2xl font-bold">
          Checkout
        </h1>
        <ul
          aria-label="Order summary"
          className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white"
        >
          {priceLines(cart, items).map(({ line, item, lineTotal }) => (
            <li key={line.item_id} className="p-3">
              <div className="flex justify-between gap-2">
                <span>
                  {line.quantity} × {item?.name ?? line.item_id}
                </span>
                <span className="tabular-nums">{lineTotal === null ? '—' : formatCents(lineTotal)}</span>
              </div>
              {problems.lines[line.item_id] !== undefined && (
                <p role="alert" className="mt-1 text-sm font-medium text-red-700">
                  {problems.lines[line.item_id]}
                </p>
              )}
            </li>
          ))}
        </ul>
        <p className="flex justify-between text-lg">
          Total <strong className="tabular-nums">{formatCents(totalCents(cart, items))}</strong>
        </p>
        {outOfStock.length > 0 && (
          <button
            type="button"
            onClick={orderWhatIsAvailable}
            className="rounded-lg border border-stone-300 px-3 py-2 text-sm font-medium"
          >
            Order what is available instead
          </button>
        )}
      </section>
      <section aria-labelledby="delivery-heading" className="space-y-4">
        <h2 id="delivery-heading" className="text-lg font-semibold">
          Delivery details
        </h2>
        <TextField
          label="Name"
          value={name}
          onChange={setName}
          error={problems.name}
          maxLength={LIMITS.nameMax}
          autoComplete="name"
        />
        <TextField
          label="Address"
          value={address}
          onChange={setAddress}
          error={problems.address}
          maxLength={LIMITS.addressMax}
          autoComplete="street-address"
          multiline
        />
        {problems.general.length > 0 && (
          <Notice tone="error">
            {problems.general.map((message) => (
              <p key={message}>{message}</p>
            ))}
          </Notice>
        )}
        <button
          type="submit"
          disabled={order.isPending}
          className="w-full rounded-lg bg-red-700 px-4 py-3 font-semibold text-white hover:bg-red-800 disabled:cursor-wait disabled:bg-stone-400"
        >
          {order.isPending ? 'Placing order…' : 'Place order'}
        </button>
      </section>
    </form>
  );
}
