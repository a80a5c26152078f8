import type { Messages } from './id'

export const en: Messages = {
  app: {
    name: 'Posko',
    tagline: 'Job-Training Programme Registration',
    post: '{{name}} Post',
    loading: 'Loading…',
    skipToContent: 'Skip to main content',
  },
  language: {
    label: 'Language',
    id: 'Bahasa Indonesia',
    en: 'English',
  },
  mode: {
    assisted: 'Staff-assisted desk',
    'self-service': 'Self-service kiosk',
  },
  home: {
    title: 'Home',
    welcome: 'Welcome to {{post}}',
    queueTitle: 'Upload queue',
    queueTotal: 'Registrations on this kiosk: {{count}}',
    lastSync: 'Last sync: {{when}}',
    neverSynced: 'Never synced',
    kioskInfo: 'Kiosk information',
    version: 'Version',
    postId: 'Post code',
    mode: 'Mode',
  },
  state: {
    queued: 'Waiting to upload',
    uploading: 'Uploading',
    accepted: 'Accepted by central',
    duplicate: 'Already registered at central',
    rejected: 'Rejected, needs fixing',
    exported: 'Exported to USB',
    purged: 'Personal data erased',
  },
  errors: {
    invalid_input: 'The data sent is not valid. Please check your entries.',
    unknown_channel: 'Unknown command. Update the app or contact IT.',
    forbidden: 'You are not allowed to do this.',
    not_found: 'Not found.',
    conflict: 'The data has changed. Reload and try again.',
    duplicate_nik: 'This NIK is already registered on this kiosk.',
    unavailable: 'The service is unavailable. Try again shortly.',
    internal: 'Something went wrong in the app. Try again; if it keeps happening, contact IT.',
    bridge: 'The app is not connected to the kiosk service. Close and reopen Posko.',
    retry: 'Try again',
  },
}
