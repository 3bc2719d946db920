// Whether a session has an open socket now (Session.online), as a dot with a text alternative.
export function OnlineDot(props: { online: boolean }) {
  return (
    <span class="online-dot" classList={{ on: props.online }} title={props.online ? 'Online now' : 'Not connected'}>
      <span class="visually-hidden">{props.online ? 'Online now' : 'Not connected'}</span>
    </span>
  );
}
