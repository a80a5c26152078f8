import type { Migration } from '../migration'
import { migration001 } from './001_settings'
import { migration002 } from './002_registrations'
import { migration003 } from './003_audit'
import { migration004 } from './004_operators'
import { migration005 } from './005_photos'
import { migration006 } from './006_outbox_order'
import { migration007 } from './007_outbox_hold'
import { migration008 } from './008_state_counts'
import { migration009 } from './009_photo_uploads'
import { migration010 } from './010_outbox_in_doubt'
import { migration011 } from './011_drafts'
import { migration012 } from './012_search_index'
import { migration013 } from './013_post_log'
import { migration014 } from './014_post_log_resolved'
import { migration015 } from './015_post_log_desk'
import { migration016 } from './016_peer_backup'
import { migration017 } from './017_relay'

/** In order; `openDatabase` refuses a list whose versions are not 1..n. */
export const migrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
  migration017,
]
