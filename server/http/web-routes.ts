// The web app's routes, in one place: the client's router (client/src/app.tsx) mounts its pages at
// these paths, and the server (static.ts) answers any other extension-less path with the app and
// a 404 status. It lives under server/ because the server is compiled from that folder alone; it
// imports nothing, so the client's bundler takes it as it is.

export const ROUTES = {
  signIn: '/login',
  signUp: '/signup',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password',
  home: '/',
  sessions: '/sessions',
  account: '/account',
  activity: '/activity',
  organization: '/organization',
} as const;

export type AppPath = (typeof ROUTES)[keyof typeof ROUTES];

/** Pages for someone who is not signed in (a 401 there is no kick). */
export const PUBLIC_PATHS: readonly AppPath[] = [ROUTES.signIn, ROUTES.signUp, ROUTES.forgotPassword, ROUTES.resetPassword];

const APP_PATHS: ReadonlySet<string> = new Set(Object.values(ROUTES));

/** As the client's router reads a path: empty segments skipped, letter case ignored ("/Sessions/" is "/sessions"). */
function normalize(pathname: string): string {
  return `/${pathname.split('/').filter(Boolean).join('/')}`.toLowerCase();
}

export function isAppRoute(pathname: string): boolean {
  return APP_PATHS.has(normalize(pathname));
}

export function isPublicPath(pathname: string): boolean {
  return (PUBLIC_PATHS as readonly string[]).includes(normalize(pathname));
}
