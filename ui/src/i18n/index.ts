import { ja } from "./ja";

/** The active catalog. A second language would be chosen here. */
export const t = ja;
export type Catalog = typeof ja;
