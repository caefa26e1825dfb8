import { Initial1764000000000 } from './1764000000000-initial.js';
import { Cases1764000001000 } from './1764000001000-cases.js';
import { DeadlinesCorrespondence1764000002000 } from './1764000002000-deadlines-correspondence.js';
import { Decisions1764000003000 } from './1764000003000-decisions.js';

/** Applied in this order; add new migrations at the end. */
export const migrations = [Initial1764000000000, Cases1764000001000, DeadlinesCorrespondence1764000002000, Decisions1764000003000];
