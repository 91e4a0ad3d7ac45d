/**
 * The shown results (the live run's, or an opened run's) for charts and tables, queued and
 * deferred: each consumer takes a new value at its turn of the redraw queue (one chart redraw
 * at a time, see redraw-queue.ts), and React renders it in an interruptible background pass.
 * So the charts and the tables commit in separate tasks instead of one long one when an epoch
 * ends, input and the progress bar never wait, and a burst of worker messages costs each
 * consumer one redraw, of the newest value.
 */
import { useDeferredValue, useEffect, useRef, useState } from 'react';
import type { Results } from '../schema/results';
import { shownResults } from '../state/selectors';
import { requestRedraw, type RedrawTicket } from './redraw-queue';
import { useApp } from './store-context';

/**
 * `latest`, shown at this consumer's turn of the redraw queue and rendered deferred: the value
 * returned lags `latest` by a few frames and always ends equal to it.
 */
export function useQueuedValue<T>(latest: T): T {
  const [shown, setShown] = useState(latest);
  const deferred = useDeferredValue(shown);
  const latestRef = useRef(latest);
  const shownRef = useRef(shown);
  const ticket = useRef<RedrawTicket | null>(null);
  /** The value of the turn in progress and how to end it, once it is committed. */
  const turn = useRef<{ value: T; end: () => void } | null>(null);

  /** Asks for a turn when the latest value is not shown and none is asked for. */
  const request = useRef(() => {
    if (ticket.current || Object.is(latestRef.current, shownRef.current)) return;
    ticket.current = requestRedraw((done) => {
      const value = latestRef.current;
      const end = () => {
        ticket.current = null;
        done();
        request.current(); // a newer value arrived during the turn
      };
      if (Object.is(value, shownRef.current)) return end();
      shownRef.current = value;
      turn.current = { value, end };
      setShown(value);
    });
  });

  useEffect(() => {
    latestRef.current = latest;
    request.current();
  }, [latest]);

  useEffect(() => {
    const current = turn.current;
    if (current && Object.is(deferred, current.value)) {
      turn.current = null;
      current.end();
    }
  }, [deferred]);

  useEffect(
    () => () => {
      ticket.current?.cancel();
      ticket.current = null;
      turn.current = null;
    },
    [],
  );

  return deferred;
}

export function useDeferredResults(): Results | null {
  return useQueuedValue(useApp(shownResults));
}
