import type { Migration } from '../migration'

/** LOCAL ONLY, never committed: stands in for another helper's reserved 014 until it lands on main. */
export const migration014: Migration = { version: 14, name: 'placeholder', up() {} }
