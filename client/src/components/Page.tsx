// A page's frame: its title (which takes focus on arrival, so that screen readers and keyboard
// users start on the new page), an optional lead and actions.
import { onMount, Show } from 'solid-js';
import type { JSX } from 'solid-js';

interface PageProps {
  title: string;
  lead?: JSX.Element;
  actions?: JSX.Element;
  children: JSX.Element;
}

export function Page(props: PageProps) {
  let heading: HTMLHeadingElement | undefined;
  onMount(() => {
    document.title = `${props.title} · Session Gateway`;
    heading?.focus({ preventScroll: true });
  });
  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1 ref={heading} tabIndex={-1}>{props.title}</h1>
          <Show when={props.lead}>
            <p class="lead">{props.lead}</p>
          </Show>
        </div>
        <Show when={props.actions}>
          <div class="page-actions">{props.actions}</div>
        </Show>
      </header>
      {props.children}
    </div>
  );
}
