// Builds the document an upsert inserts from the equality parts of its filter, as mongod does.
import { ObjectId } from 'bson';
import { cloneDoc, isOperatorObject, isPlainObject, setPath, type Doc } from '../bson';

export function seedFromFilter(filter: Doc): Doc {
  const out: Doc = {};
  const walk = (f: Doc): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) {
        for (const part of v) if (isPlainObject(part)) walk(part);
        continue;
      }
      if (k.startsWith('$') || v instanceof RegExp) continue;
      if (isOperatorObject(v)) {
        const ops = v as Doc;
        if ('$eq' in ops) setPath(out, k, cloneDoc(ops.$eq));
        continue;
      }
      setPath(out, k, cloneDoc(v));
    }
  };
  walk(filter);
  return out;
}

/** The document with `_id` first, generating an ObjectId when it has none. */
export function withIdFirst(doc: Doc): Doc {
  if ('_id' in doc && Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
}
