import type { Migration } from '../migration'
import { migration001 } from './001_settings'

/** In order; `openDatabase` refuses a list whose versions are not 1..n. */
export const migrations: readonly Migration[] = [migration001]
