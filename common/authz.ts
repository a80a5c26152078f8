import type { z } from 'zod'
import type { Channel } from './contract'
import type { KioskMode } from './settings'
import { Role as RoleSchema } from './staff'

/**
 * Who may call what (DESIGN.md §8, issue 7): one table, enforced in main's dispatcher, tested channel × role.
 * Hiding a button is never the protection.
 *  - operator: registers, finds, fixes rejected records
 *  - supervisor: everything an operator does, plus operators, bundles, purge, reports, settings
 *  - it: enrolment, updates, diagnostics; no personal data
 * `public` channels work signed out (and behind the lock screen); `selfService` marks what an applicant at a
 * self-service kiosk may do without anyone signed in.
 */
export type Role = z.infer<typeof RoleSchema>
export const ROLES: readonly Role[] = RoleSchema.options

export interface Access {
  /** Callable with no session at all (sign-in, language, the app's own facts). */
  public?: true
  /** Callable by an applicant on a self-service kiosk with no staff signed in. */
  selfService?: true
  roles: readonly Role[]
}

const staff: readonly Role[] = ['operator', 'supervisor']
const everyone: readonly Role[] = ['operator', 'supervisor', 'it']

export const access = {
  'app.info': { public: true, selfService: true, roles: everyone },
  'settings.setLanguage': { public: true, selfService: true, roles: everyone },
  'settings.setMode': { roles: ['supervisor'] },
  'session.state': { public: true, selfService: true, roles: everyone },
  'session.signIn': { public: true, selfService: true, roles: everyone },
  'session.setup': { public: true, roles: everyone },
  // Public so "Keluar" works on the lock screen: signing out only ever removes access.
  'session.signOut': { public: true, roles: everyone },
  'session.lock': { roles: everyone },
  'session.unlock': { public: true, roles: everyone },
  'session.touch': { roles: everyone },
  'queue.status': { roles: everyone },
  'regions.children': { selfService: true, roles: staff },
  'photo.process': { selfService: true, roles: staff },
  'photo.capture': { selfService: true, roles: staff },
  // An applicant sees the photos of the draft on screen (photos no record has claimed), never a stored record's.
  'photo.preview': { selfService: true, roles: staff },
  'ktp.read': { selfService: true, roles: staff },
  'registration.validate': { selfService: true, roles: staff },
  'registration.submit': { selfService: true, roles: staff },
  // An applicant learns only "registered" (registration/nik-check.ts), as a submit would have told them.
  'registration.checkNik': { selfService: true, roles: staff },
  'drafts.park': { roles: staff },
  'drafts.list': { roles: staff },
  'drafts.resume': { roles: staff },
  'registration.get': { roles: staff },
  'registration.find': { roles: staff },
  'registration.update': { roles: staff },
  'registration.reprint': { roles: staff },
  'registration.listRejected': { roles: staff },
  'registration.listReview': { roles: staff },
  'registration.approve': { roles: staff },
  // An applicant prints (or photographs) their own receipt; nothing else is on screen then.
  'receipt.print': { selfService: true, roles: staff },
  // The applicant's "Panggil petugas"; staff may press it too (a kiosk in assisted mode has them at hand anyway).
  'staff.call': { selfService: true, roles: staff },
  'upload.state': { roles: everyone },
  'upload.now': { roles: everyone },
  // IT too: the way back in when every supervisor is locked out (audited like a supervisor's unlock).
  'operators.list': { roles: ['supervisor', 'it'] },
  'operators.create': { roles: ['supervisor'] },
  'operators.unlock': { roles: ['supervisor', 'it'] },
  'operators.setActive': { roles: ['supervisor'] },
  'retention.purge': { roles: ['supervisor'] },
  'report.day': { roles: ['supervisor'] },
  'enrolment.status': { roles: everyone },
  'enrolment.enrol': { roles: ['it'] },
  'bundle.export': { roles: ['supervisor'] },
  'bundle.import': { roles: ['supervisor'] },
  'bundle.list': { roles: ['supervisor'] },
  'storage.drives': { roles: ['supervisor', 'it'] },
  'diagnostics.get': { roles: ['supervisor', 'it'] },
  'network.peers': { roles: ['supervisor', 'it'] },
  // The anomaly screen shows this desk's applicants' names and decides which record stands: supervisors only.
  'network.anomalies': { roles: ['supervisor'] },
  'network.markDuplicate': { roles: ['supervisor'] },
  // Every staff role; no selfService: an applicant never sees it (and the kiosk answers null in self-service mode).
  'network.post': { roles: everyone },
  // Pairing decides which devices this desk trusts: IT may look, only a supervisor pairs (audited).
  'network.pairing': { roles: ['supervisor', 'it'] },
  'network.pairStart': { roles: ['supervisor'] },
  'network.pairConfirm': { roles: ['supervisor'] },
  'diagnostics.export': { roles: ['supervisor', 'it'] },
  'update.state': { roles: everyone },
  'update.installNow': { roles: ['supervisor', 'it'] },
  // Public: a form closed by sign-out or an idle wipe must still be reported, or updates would wait for hours.
  'registration.draftState': { public: true, selfService: true, roles: everyone },
  'audit.verify': { roles: ['supervisor'] },
  'audit.list': { roles: ['supervisor'] },
  // Issue 22: the store's health is a fact about the desk, no personal data: every staff role, never an applicant.
  'store.health': { roles: everyone },
  // Hiding the moved-aside line once read is a supervisor's or IT's (audited); an operator keeps seeing it.
  'store.dismissMovedAside': { roles: ['supervisor', 'it'] },
  // Counts only; every staff role, never an applicant (null on a self-service kiosk whoever is signed in).
  'backup.status': { roles: everyone },
  // Sends another desk's records to central in this desk's name: a supervisor's decision, audited.
  'backup.restore': { roles: ['supervisor'] },
  // Issue 22.3/22.4: the stick's state is a fact about the desk (counts, its label); choosing, forgetting and
  // restoring from one are a supervisor's, like bundles.
  'backup.stick': { roles: everyone },
  'backup.designateStick': { roles: ['supervisor'] },
  'backup.forgetStick': { roles: ['supervisor'] },
  'backup.stickDesks': { roles: ['supervisor'] },
  'backup.restoreFromStick': { roles: ['supervisor'] },
} as const satisfies Record<Channel, Access>

export type AccessDecision = 'allowed' | 'unauthenticated' | 'forbidden'

/** The decision for one call: who is signed in (null if nobody) and the kiosk's mode. */
export function decideAccess(channel: Channel, role: Role | null, mode: KioskMode): AccessDecision {
  const rule: Access = access[channel]
  if (rule.public) return 'allowed'
  if (role === null) return mode === 'self-service' && rule.selfService ? 'allowed' : 'unauthenticated'
  return rule.roles.includes(role) ? 'allowed' : 'forbidden'
}
