// Start-up: the client and what ends a session, the link with the other tabs, then the app.
import { render } from 'solid-js/web';
import { App } from './app';
import { installClient, renewClient } from './client-store';
import { leaveTo, onPublicPage } from './navigation';
import { kick, ownSessionRevoked, reasonFromClose } from './session-kick';
import { onOtherTab } from './tab-sync';
import './styles.css';

installClient({
  onUnauthenticated: () => kick('UNAUTHENTICATED', { quietIfNeverSignedIn: true }),
  // A refused socket on a first visit is no kick either: only say why if there was a session.
  onSocketRevoked: (closeReason) => ownSessionRevoked(reasonFromClose(closeReason), { quietIfNeverSignedIn: true }),
});

onOtherTab((message) => {
  if (message.type === 'session-ended') return kick(message.reason, { fromOtherTab: true });
  // Another tab signed in or switched: the shared cookie is a new session, so start over with it.
  if (onPublicPage()) leaveTo('/sessions');
  else renewClient();
});

const root = document.getElementById('root');
if (root) render(() => <App />, root);
