import { DEMO_LOAD_MAX_COUNT, DEMO_LOAD_MAX_PER_SECOND } from '@pizza/shared/contract';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Notice } from '../components/Notice';
import { readAdminToken, startDemoLoad } from './adminApi';

/** Admin only: sends N demo orders through the public API (the server bounds them too). */
export function DemoLoadControl() {
  const [token, setToken] = useState(readAdminToken);
  const [count, setCount] = useState(50);
  const [perSecond, setPerSecond] = useState(10);
  const load = useMutation({
    mutationFn: () => startDemoLoad(token.trim(), { count, per_second: perSecond }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    load.mutate();
  };
  const field = 'w-full rounded-lg border border-stone-300 px-3 py-2';
  return (
    <section
      aria-labelledby="demo-load"
      className="space-y-3 rounded-xl border border-stone-200 bg-white p-4"
    >
      <h2 id="demo-load" className="text-lg font-semibold">
        Load you can watch (admin)
      </h2>
      <form onSubmit={submit} className="grid gap-3 sm:grid-cols-4 sm:items-end">
        <div className="space-y-1">
          <label htmlFor="demo-token" className="block text-sm font-medium">
            Admin token
          </label>
          <input
            id="demo-token"
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
            className={field}
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="demo-count" className="block text-sm font-medium">
            Orders (at most {DEMO_LOAD_MAX_COUNT})
          </label>
          <input
            id="demo-count"
            type="number"
            min={1}
            max={DEMO_LOAD_MAX_COUNT}
            value={count}
            onChange={(e) => setCount(Number(e.currentTarget.value))}
            className={field}
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="demo-rate" className="block text-sm font-medium">
            Per second (at most {DEMO_LOAD_MAX_PER_SECOND})
          </label>
          <input
            id="demo-rate"
            type="number"
            min={1}
            max={DEMO_LOAD_MAX_PER_SECOND}
            value={perSecond}
            onChange={(e) => setPerSecond(Number(e.currentTarget.value))}
            className={field}
          />
        </div>
        <button
          type="submit"
          disabled={load.isPending}
          className="rounded-lg bg-stone-800 px-4 py-2 font-medium text-white hover:bg-stone-900"
        >
          Send demo orders
        </button>
      </form>
      {load.isSuccess && (
        <Notice tone="info">
          Sending {load.data.count} orders at {load.data.per_second}/s: watch the rates and lags above.
        </Notice>
      )}
      {load.isError && <Notice tone="error">Demo load refused: {load.error.message}</Notice>}
    </section>
  );
}
