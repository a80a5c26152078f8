import type { Access } from '../../../common/authz'
import { access, decideAccess } from '../../../common/authz'
import type { KioskMode } from '../../../common/settings'
import type { DispatchOptions, Handlers } from '../dispatch'
import type { SessionManager } from '../sessions/sessions'

type SessionHandlers = Pick<
  Handlers,
  | 'session.state'
  | 'session.signIn'
  | 'session.setup'
  | 'session.signOut'
  | 'session.lock'
  | 'session.unlock'
  | 'session.touch'
  | 'operators.list'
  | 'operators.create'
  | 'operators.unlock'
  | 'operators.setActive'
>

export function sessionHandlers(sessions: SessionManager): SessionHandlers {
  const session = () => sessions.state()
  return {
    'session.state': () => session(),
    'session.signIn': ({ operatorId, pin }) => sessions.signIn(operatorId, pin),
    'session.setup': ({ operatorId, name, pin }) => sessions.setup(operatorId, name, pin),
    'session.signOut': () => sessions.signOut(),
    'session.lock': () => sessions.lock(),
    'session.unlock': ({ pin }) => sessions.unlock(pin),
    'session.touch': () => {
      sessions.touch()
      return session()
    },
    'operators.list': () => ({ operators: sessions.listOperators() }),
    'operators.create': (input) => sessions.createOperator(input),
    'operators.unlock': ({ operatorId }) => sessions.unlockOperator(operatorId),
    'operators.setActive': ({ operatorId, active }) => sessions.setActive(operatorId, active),
  }
}

/**
 * The dispatcher's door check: a locked session reaches only public channels, and common/authz.ts decides the rest
 * from the signed-in role and the kiosk's mode.
 */
export function authorizeBySession(sessions: Pick<SessionManager, 'current'>, mode: () => KioskMode): NonNullable<DispatchOptions['authorize']> {
  return (channel) => {
    const current = sessions.current()
    const rule: Access = access[channel]
    if (current?.locked && !rule.public) return { code: 'session_locked', message: 'Session is locked' }
    const decision = decideAccess(channel, current?.role ?? null, mode())
    if (decision === 'unauthenticated') return { code: 'unauthenticated', message: 'Sign in first' }
    if (decision === 'forbidden') return { code: 'forbidden', message: `Role ${current?.role} may not call ${channel}` }
    return null
  }
}
