import type { Migration } from '../migration'

/** LOCAL ONLY, never committed: stands in for another helper's reserved 013 until it lands on main. */
export const migration013: Migration = { version: 13, name: 'placeholder', up() {} }
