import type { Migration } from '../migration'

/** LOCAL ONLY, never committed: stands in for another helper's reserved 015 until it lands on main. */
export const migration015: Migration = { version: 15, name: 'placeholder', up() {} }
