import { A } from '@solidjs/router';
import { Page } from '../components/Page';

export function NotFound() {
  return (
    <div class="auth-layout">
      <Page title="Page not found" lead="There is nothing at this address.">
        <p>
          <A href="/sessions">Go to your sessions</A>
        </p>
      </Page>
    </div>
  );
}
