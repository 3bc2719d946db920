// A small outline icon for the kind of device a session runs on.
import { Match, Switch } from 'solid-js';

export function DeviceIcon(props: { device: string | null }) {
  return (
    <svg class="device-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
      <Switch fallback={<><rect x="3" y="4" width="18" height="12" rx="2" /><path d="M8 20h8M12 16v4" /></>}>
        <Match when={props.device === 'mobile'}>
          <rect x="7" y="2.5" width="10" height="19" rx="2" />
          <path d="M11 18.5h2" />
        </Match>
        <Match when={props.device === 'tablet'}>
          <rect x="4.5" y="2.5" width="15" height="19" rx="2" />
          <path d="M11 18.5h2" />
        </Match>
      </Switch>
    </svg>
  );
}
