// "2 minutes ago", kept current, with the exact time in a tooltip and in the datetime attribute.
import { absoluteTime, clock, relativeTime } from '../time';

export function RelativeTime(props: { value: string }) {
  return (
    <time datetime={props.value} title={absoluteTime(props.value)}>
      {relativeTime(props.value, clock())}
    </time>
  );
}
