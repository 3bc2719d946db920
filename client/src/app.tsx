// Routes under the current client; their paths are server/web-routes.ts's, which the server reads
// too. The whole tree re-mounts when the client is replaced, so no component keeps data of a
// previous session.
import { Show } from 'solid-js';
import { Navigate, Route, Router } from '@solidjs/router';
import { Provider } from '@urql/solid';
import { currentClient } from './client-store';
import { Shell } from './components/Shell';
import { Account } from './pages/Account';
import { Activity } from './pages/Activity';
import { NotFound } from './pages/NotFound';
import { Organization } from './pages/Organization';
import { Sessions } from './pages/Sessions';
import { SignIn } from './pages/SignIn';
import { SignUp } from './pages/SignUp';
import { ForgotPassword } from './pages/ForgotPassword';
import { ResetPassword } from './pages/ResetPassword';
import { ROUTES } from '../../server/http/web-routes';

export function App() {
  return (
    <Show when={currentClient()} keyed>
      {(client) => (
        <Provider value={client}>
          <Router>
            <Route path={ROUTES.signIn} component={SignIn} />
            <Route path={ROUTES.signUp} component={SignUp} />
            <Route path={ROUTES.forgotPassword} component={ForgotPassword} />
            <Route path={ROUTES.resetPassword} component={ResetPassword} />
            <Route path={ROUTES.home} component={Shell}>
              <Route path={ROUTES.home} component={() => <Navigate href={ROUTES.sessions} />} />
              <Route path={ROUTES.sessions} component={Sessions} />
              <Route path={ROUTES.account} component={Account} />
              <Route path={ROUTES.activity} component={Activity} />
              <Route path={ROUTES.organization} component={Organization} />
            </Route>
            {/* Every other path: the server answers it with 404 (server/web-routes.ts). */}
            <Route path="*" component={NotFound} />
          </Router>
        </Provider>
      )}
    </Show>
  );
}
