// React 19 passes props to custom elements as properties and `on<event-name>` as listeners,
// so <thinnest-chat> needs no wrapper. 'thinnest-chat/react' types it in JSX.
import { useRef, useState } from 'react';
import 'thinnest-chat'; // defines <thinnest-chat>
import type { ThinnestChat } from 'thinnest-chat';
import type {} from 'thinnest-chat/react';

const suggestions = ['What can you do?', 'Show me a table'];

export function App() {
  const chat = useRef<ThinnestChat>(null);
  const [lastReply, setLastReply] = useState<string>();

  return (
    <main>
      <h1>Support</h1>
      <thinnest-chat
        ref={chat}
        proxy-url="/api/chat"
        chat-title="Ask us"
        feedback
        suggestions={suggestions}
        onthinnest-chat-reply={(event) => setLastReply(event.detail.message)}
      />
      <p id="last-reply">{lastReply ? `Last reply: ${lastReply}` : 'No reply yet'}</p>
      <button
        id="new-conversation"
        type="button"
        onClick={() => {
          chat.current?.newSession();
          setLastReply(undefined);
        }}
      >
        New conversation
      </button>
    </main>
  );
}
