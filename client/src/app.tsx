// Routes, under the current client. The whole tree re-mounts when the client is replaced, so no
// component keeps data of a previous session.
import { Show } from 'solid-js';
import { Navigate, Route, Router } from '@solidjs/router';
import { Provider } from '@urql/solid';
import { currentClient } from './client-store';
import { Shell } from './components/Shell';
import { Account } from './pages/Account';
import { Activity } from './pages/Activity';
import { NotFound } from './pages/NotFound';
import { Sessions } from './pages/Sessions';
import { SignIn } from './pages/SignIn';
import { SignUp } from './pages/SignUp';
import { ForgotPassword } from './pages/ForgotPassword';
import { ResetPassword } from './pages/ResetPassword';

export function App() {
  return (
    <Show when={currentClient()} keyed>
      {(client) => (
        <Provider value={client}>
          <Router>
            <Route path="/login" component={SignIn} />
            <Route path="/signup" component={SignUp} />
            <Route path="/forgot-password" component={ForgotPassword} />
            <Route path="/reset-password" component={ResetPassword} />
            <Route path="/" component={Shell}>
              <Route path="/" component={() => <Navigate href="/sessions" />} />
              <Route path="/sessions" component={Sessions} />
              <Route path="/account" component={Account} />
              <Route path="/activity" component={Activity} />
            </Route>
            <Route path="*" component={NotFound} />
          </Router>
        </Provider>
      )}
    </Show>
  );
}
