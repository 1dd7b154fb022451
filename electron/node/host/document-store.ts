/**
 * Where the host keeps its small JSON documents (settings, watchlists). Files in the user-data
 * folder in the app; memory in unit tests. A document that cannot be read is reported and set aside.
 */
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from './json-file.js';

export interface DocumentStore {
  read(name: string, onProblem: (message: string) => void): unknown;
  write(name: string, value: unknown): void;
}

export function fileDocuments(folder: string): DocumentStore {
  return {
    read: (name, onProblem) => readJsonFile(join(folder, `${name}.json`), onProblem),
    write: (name, value) => writeJsonFile(join(folder, `${name}.json`), value),
  };
}

export function memoryDocuments(initial: Record<string, unknown> = {}): DocumentStore & { docs: Map<string, unknown> } {
  const docs = new Map(Object.entries(structuredClone(initial)));
  return {
    docs,
    read: (name) => structuredClone(docs.get(name)),
    write: (name, value) => void docs.set(name, structuredClone(value)),
  };
}
