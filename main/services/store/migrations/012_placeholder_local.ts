import type { Migration } from '../migration'

/** LOCAL ONLY, never committed: stands in for another helper's reserved 012 until it lands on main. */
export const migration012: Migration = { version: 12, name: 'placeholder', up() {} }
