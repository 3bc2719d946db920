// Tells the user when live updates are interrupted, and lets them reconnect once retries stop.
import { Match, Switch } from 'solid-js';
import { socketState } from '../client-store';

export function ConnectionBanner(props: { onReconnect: () => void }) {
  return (
    <div class="connection" role="status" aria-live="polite">
      <Switch>
        <Match when={socketState() === 'reconnecting'}>
          <p class="banner banner-warning">
            <span class="spinner" aria-hidden="true" /> Reconnecting… live updates are paused.
          </p>
        </Match>
        <Match when={socketState() === 'offline'}>
          <p class="banner banner-error">
            Live updates are offline.{' '}
            <button type="button" class="link-button" onClick={() => props.onReconnect()}>
              Reconnect
            </button>
          </p>
        </Match>
      </Switch>
    </div>
  );
}
