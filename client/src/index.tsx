// Start-up: the client and what ends a session, the link with the other tabs, then the app.
import { render } from 'solid-js/web';
import { App } from './app';
import { installClient, renewClient } from './client-store';
import { leaveTo, onPublicPage } from './navigation';
import { kick, ownSessionRevoked, revokeReason } from './session-kick';
import { onOtherTab } from './tab-sync';
import './styles/index.css';

installClient({
  onUnauthenticated: () => kick(null, { quietIfNeverSignedIn: true }),
  // A refused socket on a first visit is no kick either: only say why if there was a session. The
  // close reason of a revoked session is its RevokeReason; a refused one's is none.
  onSocketRevoked: (closeReason) => ownSessionRevoked(revokeReason(closeReason), { quietIfNeverSignedIn: true }),
});

onOtherTab((message) => {
  if (message.type === 'session-ended') return kick(revokeReason(message.reason), { fromOtherTab: true });
  // Another tab signed in or switched: the shared cookie is a new session, so start over with it.
  if (onPublicPage()) leaveTo('/sessions');
  else renewClient();
});

const root = document.getElementById('root');
if (root) render(() => <App />, root);
