import type { Db } from 'mongodb';
import {
  connectMongo,
  createLogger,
  errorMessage,
  loadConfig,
  MongoEnv,
  parseCommandLine,
  runCommand,
} from '@pizza/shared';
import { collections, type MenuDoc } from './store/collections';

const STOCK = 200;

type Seed = Omit<MenuDoc, 'stock' | 'target_stock'>;

export const MENU_SEED: readonly Seed[] = [
  {
    _id: 'margherita',
    category: 'pizza',
    name: 'Margherita',
    price: 899,
    description: 'Tomato, fior di latte, basil, olive oil.',
  },
  {
    _id: 'marinara',
    category: 'pizza',
    name: 'Marinara',
    price: 749,
    description: 'Tomato, garlic, oregano, olive oil. No cheese.',
  },
  {
    _id: 'pepperoni',
    category: 'pizza',
    name: 'Pepperoni',
    price: 1099,
    description: 'Tomato, mozzarella, spicy pepperoni.',
  },
  {
    _id: 'quattro-formaggi',
    category: 'pizza',
    name: 'Quattro Formaggi',
    price: 1199,
    description: 'Mozzarella, gorgonzola, fontina, parmesan.',
  },
  {
    _id: 'capricciosa',
    category: 'pizza',
    name: 'Capricciosa',
    price: 1149,
    description: 'Tomato, mozzarella, ham, mushrooms, artichokes, olives.',
  },
  {
    _id: 'diavola',
    category: 'pizza',
    name: 'Diavola',
    price: 1099,
    description: 'Tomato, mozzarella, spicy salami, chilli.',
  },
  {
    _id: 'funghi',
    category: 'pizza',
    name: 'Funghi',
    price: 999,
    description: 'Tomato, mozzarella, mushrooms, thyme.',
  },
  {
    _id: 'vegetariana',
    category: 'pizza',
    name: 'Vegetariana',
    price: 1049,
    description: 'Tomato, mozzarella, peppers, courgette, aubergine, onion.',
  },
  {
    _id: 'hawaii',
    category: 'pizza',
    name: 'Hawaii',
    price: 1049,
    description: 'Tomato, mozzarella, ham, pineapple.',
  },
  {
    _id: 'prosciutto-rucola',
    category: 'pizza',
    name: 'Prosciutto e Rucola',
    price: 1299,
    description: 'Mozzarella, prosciutto crudo, rocket, parmesan.',
  },
  { _id: 'cola', category: 'drink', name: 'Cola', price: 299, description: '0.33 l can.' },
  { _id: 'lemonade', category: 'drink', name: 'Lemonade', price: 349, description: 'Home-made, 0.4 l.' },
  {
    _id: 'sparkling-water',
    category: 'drink',
    name: 'Sparkling Water',
    price: 199,
    description: '0.5 l bottle.',
  },
  { _id: 'iced-tea', category: 'drink', name: 'Iced Tea', price: 329, description: 'Peach, 0.4 l.' },
];

/**
 * Inserts the menu items that are missing; an existing item (and its stock) is left as it is, so running
 * it again changes nothing. Returns how many items were inserted.
 */
export async function seedMenu(db: Db): Promise<number> {
  const result = await collections(db).menu.bulkWrite(
    MENU_SEED.map(({ _id, ...item }) => ({
      updateOne: {
        filter: { _id },
        update: { $setOnInsert: { ...item, stock: STOCK, target_stock: STOCK } },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  return result.upsertedCount;
}

const USAGE = 'usage: npm run seed (no arguments; environment: MONGO_URL, MONGO_DB)';

/** `npm run seed` (and the seed Job): exit 0 done, 1 bad environment or failure, 2 any argument (it takes none). */
async function seedMain(argv: string[]): Promise<number> {
  parseCommandLine({ args: argv, options: {} });
  try {
    const config = loadConfig(MongoEnv);
    const logger = createLogger({ service: 'seed' });
    const mongo = await connectMongo(config.MONGO_URL, config.MONGO_DB, 'seed');
    try {
      const inserted = await seedMenu(mongo.db);
      logger.info({ inserted, total: MENU_SEED.length, db: config.MONGO_DB }, 'menu seeded');
    } finally {
      await mongo.close();
    }
    return 0;
  } catch (error) {
    console.error(`seed: ${errorMessage(error)}`);
    return 1;
  }
}

if (require.main === module)
  runCommand(() => seedMain(process.argv.slice(2)), { name: 'seed', usage: USAGE });
