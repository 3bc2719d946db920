// The three states of a query in one place: loading, error (with a retry), and the data.
import { Match, Switch } from 'solid-js';
import type { JSX } from 'solid-js';
import type { CombinedError } from '@urql/core';
import { errorMessage } from '../errors';
import { Alert, Loading } from './Alert';

interface QueryState<T> {
  fetching: boolean;
  data?: T | undefined;
  error?: CombinedError | undefined;
}

interface QueryViewProps<T> {
  state: QueryState<T>;
  retry: () => void;
  loading?: string;
  children: (data: T) => JSX.Element;
}

export function QueryView<T>(props: QueryViewProps<T>) {
  return (
    <Switch fallback={<Loading label={props.loading} />}>
      <Match when={props.state.data}>{(data) => props.children(data())}</Match>
      <Match when={props.state.error}>
        {(error) => (
          <Alert action={<button type="button" class="button small" onClick={() => props.retry()}>Try again</button>}>
            {errorMessage(error())}
          </Alert>
        )}
      </Match>
    </Switch>
  );
}
