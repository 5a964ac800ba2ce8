// Shared by the React and Vue example pages: make sure a demo session exists.
// A real host page has its own sign-in; the elements only need the cookie.
export async function ensureDemoSession(api = '/api') {
  const session = await fetch(`${api}/auth/session`, { credentials: 'include' });
  if (session.ok) return;
  await fetch(`${api}/auth/sign-in/email`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ada@acme.example', password: 'partneros-demo' }),
  });
}
