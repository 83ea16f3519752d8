// The mingo adapter runs every query on options built once: mingo must not copy its operator registry
// (Context.from) per filter, projection or pipeline, and the results stay those of MongoDB.
import { Context } from 'mingo';
import { compileFilter, findDocs, projectDoc, runPipeline } from '../src/query/mingo';

const docs = [
  { _id: 1, item: 'margherita', price: 8, qty: 3 },
  { _id: 2, item: 'funghi', price: 10, qty: 1 },
];

afterEach(() => jest.restoreAllMocks());

test('filters, projections, $expr and pipelines do not copy the operator registry', () => {
  const copies = jest.spyOn(Context, 'from');
  expect(compileFilter({ price: { $gte: 9 } })(docs[1] as never)).toBe(true);
  expect(findDocs(docs, { $expr: { $gt: ['$qty', 2] } }, {})).toEqual([docs[0]]);
  expect(findDocs(docs, { _id: 2 }, { projection: { item: 1 } })).toEqual([{ _id: 2, item: 'funghi' }]);
  expect(projectDoc(docs[0] as never, { total: { $multiply: ['$price', '$qty'] } })).toEqual({
    _id: 1,
    total: 24,
  });
  expect(runPipeline(docs, [{ $group: { _id: null, n: { $sum: '$qty' } } }], () => [])).toEqual([
    { _id: null, n: 4 },
  ]);
  expect(copies).not.toHaveBeenCalled();
});

test('each pipeline resolves collections through its own resolver', () => {
  const toppings = [{ _id: 't1', pizza: 1, name: 'basil' }];
  const lookup = [
    { $lookup: { from: 'toppings', localField: '_id', foreignField: 'pizza', as: 'toppings' } },
  ];
  const first = runPipeline([docs[0] as never], lookup, (name) => (name === 'toppings' ? toppings : []));
  const second = runPipeline([docs[0] as never], lookup, () => []);
  expect(first[0]?.toppings).toEqual(toppings);
  expect(second[0]?.toppings).toEqual([]);
});

test('the operator used to build the options is unknown to user filters', () => {
  expect(() => compileFilter({ a: { $__mongoLiteOptionsProbe: 1 } })).toThrow(/unknown query operator/);
});
