import { Initial1764000000000 } from './1764000000000-initial.js';

/** Applied in this order; add new migrations at the end. */
export const migrations = [Initial1764000000000];
