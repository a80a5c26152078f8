import type { Migration } from '../migration'

/** LOCAL ONLY, never committed: stands in for another helper's reserved 011 until it lands on main. */
export const migration011: Migration = { version: 11, name: 'placeholder', up() {} }
