import { call } from './support/http';
import { stockOf, useStack } from './support/stack';
import { MENU_SEED, seedMenu } from '../src/seed';
import { collections } from '../src/store/collections';

const stack = useStack();

interface MenuReply {
  items: {
    id: string;
    name: string;
    description: string;
    category: string;
    price: number;
    stock: number;
    target_stock: number;
  }[];
}

/** Each test starts from the menu it needs, never from what an earlier test left. */
async function emptyMenu(): Promise<void> {
  await collections(stack.db).menu.deleteMany({});
}

async function seededMenu(): Promise<void> {
  await emptyMenu();
  expect(await seedMenu(stack.db)).toBe(MENU_SEED.length);
}

describe('menu and seed', () => {
  test('the seed fills an empty menu: at least 8 pizzas and some drinks, stock 200, prices in cents', async () => {
    await emptyMenu();
    expect(await seedMenu(stack.db)).toBe(MENU_SEED.length);
    const docs = await collections(stack.db).menu.find({}).toArray();
    expect(docs.filter((d) => d.category === 'pizza').length).toBeGreaterThanOrEqual(8);
    expect(docs.filter((d) => d.category === 'drink').length).toBeGreaterThanOrEqual(2);
    for (const doc of docs) {
      expect(Object.keys(doc).sort()).toEqual([
        '_id',
        'category',
        'description',
        'name',
        'price',
        'stock',
        'target_stock',
      ]);
      expect(doc).toMatchObject({ stock: 200, target_stock: 200 });
      expect(Number.isInteger(doc.price) && doc.price > 0).toBe(true);
    }
  });

  test('seeding again inserts nothing and never resets the stock of an existing item', async () => {
    await seededMenu();
    await collections(stack.db).menu.updateOne({ _id: 'margherita' }, { $set: { stock: 7 } });
    await collections(stack.db).menu.deleteOne({ _id: 'cola' });
    expect(await seedMenu(stack.db)).toBe(1);
    expect(await stockOf(stack.db, 'margherita')).toBe(7);
    expect(await stockOf(stack.db, 'cola')).toBe(200);
  });

  test('GET /menu lists pizzas first, then drinks, each by name', async () => {
    await seededMenu();
    await collections(stack.db).menu.updateOne({ _id: 'margherita' }, { $set: { stock: 7 } });
    const res = await call<MenuReply>(stack.url, 'GET', '/api/v1/menu');
    expect(res.status).toBe(200);
    const rank = (category: string) => (category === 'pizza' ? 0 : 1);
    const expected = [...MENU_SEED].sort(
      (a, b) => rank(a.category) - rank(b.category) || a.name.localeCompare(b.name, 'en'),
    );
    expect(res.body.items.map((i) => i.id)).toEqual(expected.map((i) => i._id));
    expect(res.body.items.find((i) => i.id === 'margherita')).toEqual({
      id: 'margherita',
      name: 'Margherita',
      description: expect.any(String),
      category: 'pizza',
      price: 899,
      stock: 7,
      target_stock: 200,
    });
  });
});
