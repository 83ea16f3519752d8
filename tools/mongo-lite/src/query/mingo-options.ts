// Options that mingo reuses instead of copying. Given plain options, every Query and Aggregator copies
// the whole operator registry of its context (hundreds of operators with the expression set); given
// an options object of mingo's own (its ComputeOptions), it copies only the few per-run locals. mingo
// does not export that class, but hands an instance to every query operator as its third argument, so
// one is taken from a probe operator, once per context, when the module loads.
import { Context } from 'mingo';
import type { Options } from 'mingo/types';
import { Query } from 'mingo/query';
import { MingoError } from 'mingo/util';

const PROBE = '$__mongoLiteOptionsProbe';

export type PrebuiltOptions = Options;

/** The part of mingo's ComputeOptions used here: it sets the per-run locals. */
interface WithLocals {
  update(locals: { condition?: unknown }): unknown;
}

/** Options for `context` with `settings`, built once and safe to pass to any number of queries. */
export function prebuiltOptions(context: Context, settings: Partial<Options> = {}): PrebuiltOptions {
  let captured: Options | undefined;
  const probeContext = Context.from(context).addQueryOps({
    [PROBE]: (_selector: string, _value: unknown, options: Options) => {
      // Afterwards the probe is just an unknown operator, as it is to mongod.
      if (captured) throw new MingoError(`unknown query operator ${PROBE}`);
      captured = options;
      return () => true;
    },
  });
  new Query({ _: { [PROBE]: 1 } }, { ...settings, context: probeContext });
  const options = captured as (Options & Partial<WithLocals>) | undefined;
  if (!options || typeof options.update !== 'function') {
    throw new Error('mingo did not hand its own options to a query operator; check the mingo version');
  }
  // The probe's filter must not linger as the "condition" a positional projection would read.
  options.update({ condition: undefined });
  return options;
}
