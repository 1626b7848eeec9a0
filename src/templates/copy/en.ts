/**
 * The built-in English copy of everything the recipient reads: email, SMS, landing page and
 * Link. Its type is the contract every other language fills in full. Texts the invite renders
 * may hold [Name], [Company] and [Link], filled like customer text; the page texts are plain
 * and escaped where they are used.
 */
export const en = {
  /** Stands for [Company] in customer text when nothing names a company. */
  ourTeam: 'Our team',
  email: {
    subject: (named: boolean): string =>
      named ? '[Company] invites you to connect your payroll account' : 'Connect your payroll account',
    header: 'Connect your payroll account',
    body: (named: boolean): string =>
      named
        ? 'Hi [Name], [Company] has asked you to connect your payroll account. It takes a few minutes.'
        : 'Hi [Name], you have been asked to connect your payroll account. It takes a few minutes.',
    button: 'Connect your account',
    /** Put before whatever subject a reminder has, the customer's included. */
    reminderPrefix: 'Reminder: ',
    reminderBody: (named: boolean): string =>
      named
        ? 'Hi [Name], this is a reminder: [Company] has asked you to connect your payroll account. It takes a few minutes.'
        : 'Hi [Name], this is a reminder: you have been asked to connect your payroll account. It takes a few minutes.',
  },
  // One GSM-7 segment each with a 40-character link and a company name of up to 45 characters.
  sms: {
    invite: (named: boolean): string =>
      named
        ? '[Company]: connect your payroll account here: [Link] Reply STOP to opt out.'
        : 'Connect your payroll account here: [Link] Reply STOP to opt out.',
    reminder: (named: boolean): string =>
      named
        ? 'Reminder from [Company]: connect your payroll account here: [Link] Reply STOP to opt out.'
        : 'Reminder: connect your payroll account here: [Link] Reply STOP to opt out.',
  },
  landing: {
    header: 'Connect your payroll account',
    subheader: (named: boolean): string =>
      named
        ? '[Company] has asked you to connect your payroll account. It takes a few minutes.'
        : 'You have been asked to connect your payroll account. It takes a few minutes.',
    howItWorks: 'How it works',
    steps: (named: boolean): string[] => [
      'Find your employer or payroll provider.',
      'Log in with the username and password you use there.',
      named
        ? 'Your income and employment details are shared with [Company].'
        : 'Your income and employment details are shared with whoever invited you.',
    ],
    button: 'Connect your account',
  },
  success: {
    header: 'Your account is connected',
    subheader: (named: boolean): string =>
      named
        ? "You're all set: [Company] can now see the details it asked for. You can close this page."
        : "You're all set: the details you were asked for are shared. You can close this page.",
    connectAnother: 'Connect another account',
  },
  layout: {
    footer: 'Secured by invitekit Link',
    logoAlt: (company: string | null) => `${company ?? 'Company'} logo`,
  },
  items: {
    title: 'Find your employer',
    heading: 'Find your employer or payroll provider',
    searchLabel: 'Search employers, payroll platforms and gig apps',
    search: 'Search',
    noMatch: (query: string) => `No employer or payroll provider matches “${query}”.`,
    kinds: { employer: 'employer', 'payroll platform': 'payroll platform', gig: 'gig' },
    othersHeading: "Can't log in?",
    /** Around and inside the two links: before, upload link, between, form link, after. */
    others: [
      'You can',
      'upload a document',
      ' such as a pay stub instead, or',
      'answer a few questions',
      ' about your job.',
    ] as [string, string, string, string, string],
  },
  login: {
    title: (item: string) => `Log in to ${item}`,
    lead: (item: string) => `Use the username and password you use at ${item}.`,
    username: 'Username',
    password: 'Password',
    button: 'Connect',
    sandboxSummary: 'Sandbox credentials',
    /** `quoted` parts are shown as code. */
    sandboxHint:
      'Username `test_1`, `test_2`\nor `test_3`, password `passgood`; then the verification code `8081`,\n`8082` or `8083`.',
    back: 'Choose a different employer',
    wrongCredentials: 'That username and password didn’t work. Check them and try again.',
  },
  verify: {
    title: 'Enter your verification code',
    lead: (item: string) => `${item} sent you a code to confirm it's you.`,
    label: 'Verification code',
    button: 'Verify',
    wrongCode: 'That code didn’t match. Check it and try again.',
  },
  upload: {
    title: 'Upload a document',
    lead: (company: string | null): string =>
      `A recent pay stub, W-2 or offer letter shows ${company ? `${company} ` : ''}your income and employer.`,
    label: 'Document',
    button: 'Upload',
    each: (mb: number) => `PDF or image, up to ${mb} MB each.`,
    room: (files: number, mb: number) => `You can upload up to ${files} documents, ${mb} MB in all.`,
    left: (files: number, mb: number) =>
      `You can upload ${files === 1 ? '1 more document' : `${files} more documents`}, ${mb} MB in all.`,
    missing: 'Choose a file to upload.',
    tooLarge: (mb: number) => `That file is too large. Choose one under ${mb} MB.`,
    back: 'Back to log in instead',
  },
  form: {
    title: 'Tell us about your job',
    lead: (company: string | null): string =>
      company ? `${company} will follow up if it needs more.` : 'You will hear back if more is needed.',
    employer: 'Employer name',
    jobTitle: 'Job title',
    payFrequency: 'How often are you paid?',
    frequencies: {
      weekly: 'weekly',
      'every two weeks': 'every two weeks',
      'twice a month': 'twice a month',
      monthly: 'monthly',
    },
    monthlyIncome: 'Monthly income before taxes (USD)',
    button: 'Send answers',
    missingEmployer: 'Enter the name of your employer.',
    back: 'Back to log in instead',
  },
  received: {
    title: 'Thanks, we got your answers',
    lead: (company: string | null): string =>
      `${company ? `${company} has received them.` : 'They have been received.'} Connecting your payroll account as well is the fastest way to finish.`,
    button: 'Connect an account',
  },
  /** Why the flow cannot go on; the upload limits are those of the pages. */
  problems: (l: { files: number; totalMb: number; perMinute: number }) => ({
    not_found: {
      title: 'We couldn’t find this page',
      text: 'Check that the link is complete, or ask whoever sent it for a new one.',
    },
    expired: {
      title: 'This invite has expired',
      text: 'The link is no longer active. If you still need to connect your account, ask whoever invited you to send a new invite.',
    },
    inactive: {
      title: 'No action needed',
      text: 'This link is not active right now. There is nothing you need to do.',
    },
    unauthorized: {
      title: 'This link is no longer valid',
      text: 'The session has expired or the link is incomplete. Go back to the app that opened it and try again.',
    },
    forbidden: {
      title: 'This page has expired',
      text: 'For your security the form could not be sent. Go back, reload the page and try again.',
    },
    bad_request: {
      title: 'That didn’t work',
      text: 'The page could not handle what was sent. Go back, reload the page and try again.',
    },
    too_large: { title: 'That file is too large', text: 'Go back and choose a smaller file.' },
    completed: {
      title: 'This invite is already complete',
      text: 'We already have what we need, so there is nothing more to upload here. You can close this page.',
    },
    upload_files_full: {
      title: 'You’ve uploaded as many documents as we can take',
      text: `One invite takes up to ${l.files} documents, and they have all been received. If you need to send more, contact whoever invited you.`,
    },
    upload_bytes_full: {
      title: 'That would be more than we can take',
      text: `One invite takes up to ${l.totalMb} MB of documents in all, and this file would go over that. Go back and choose a smaller file, or contact whoever invited you.`,
    },
    too_many_uploads: {
      title: 'Too many uploads in a short time',
      text: `One invite takes up to ${l.perMinute} uploads a minute. Wait two minutes, then go back and try again.`,
    },
    busy: {
      title: 'We’re a little busy',
      text: 'Nothing was lost. Wait a few seconds, then go back and try again.',
    },
    storage_full: { title: 'We couldn’t save that', text: 'Nothing was saved. Please try again later.' },
    error: { title: 'Something went wrong', text: 'Please try again in a moment.' },
  }),
};

export type Copy = typeof en;
