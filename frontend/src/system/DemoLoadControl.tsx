import { DEMO_LOAD_MAX_COUNT, DEMO_LOAD_MAX_PER_SECOND } from '@pizza/shared/contract';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Notice } from '../components/Notice';
import { TextField } from '../components/TextField';
import { readAdminToken, startDemoLoad } from './adminApi';

/** Admin only: sends N demo orders through the public API (the server bounds them too). */
export function DemoLoadControl() {
  const [token, setToken] = useState(readAdminToken);
  const [count, setCount] = useState('50');
  const [perSecond, setPerSecond] = useState('10');
  const load = useMutation({
    mutationFn: () => startDemoLoad(token.trim(), { count: Number(count), per_second: Number(perSecond) }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    load.mutate();
  };
  return (
    <section
      aria-labelledby="demo-load"
      className="space-y-3 rounded-xl border border-stone-200 bg-white p-4"
    >
      <h2 id="demo-load" className="text-lg font-semibold">
        Load you can watch (admin)
      </h2>
      <form onSubmit={submit} className="grid gap-3 sm:grid-cols-4 sm:items-end">
        <TextField
          label="Admin token"
          type="password"
          value={token}
          onChange={setToken}
          maxLength={256}
          autoComplete="off"
        />
        <TextField
          label={`Orders (at most ${DEMO_LOAD_MAX_COUNT})`}
          type="number"
          value={count}
          onChange={setCount}
          maxLength={3}
          autoComplete="off"
        />
        <TextField
          label={`Per second (at most ${DEMO_LOAD_MAX_PER_SECOND})`}
          type="number"
          value={perSecond}
          onChange={setPerSecond}
          maxLength={2}
          autoComplete="off"
        />
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
