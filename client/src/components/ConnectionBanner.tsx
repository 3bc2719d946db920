// Tells the user when live updates are interrupted. After a few failed attempts the tab calls
// itself offline and offers Reconnect; it keeps trying in the background either way.
import { Match, Switch } from 'solid-js';
import { socketState } from '../client-store';
import { reconnectLive } from '../live';

export function ConnectionBanner() {
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
            Offline: the server cannot be reached. Live updates are paused; trying again in the background.{' '}
            <button type="button" class="button secondary small" onClick={() => reconnectLive()}>
              Reconnect
            </button>
          </p>
        </Match>
      </Switch>
    </div>
  );
}
