// A standalone component. CUSTOM_ELEMENTS_SCHEMA lets the template use <thinnest-chat>;
// [suggestions] sets the element's property, (thinnest-chat-reply) listens for its event
// ($event is typed through HTMLElementEventMap, which 'thinnest-chat' extends), and the
// template reference gives the element itself for newSession().
import { Component, CUSTOM_ELEMENTS_SCHEMA, ElementRef, signal, viewChild } from '@angular/core';
import 'thinnest-chat'; // defines <thinnest-chat>
import type { ReplyEventDetail, ThinnestChat } from 'thinnest-chat';

@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <main>
      <h1>Support</h1>
      <thinnest-chat
        #chat
        proxy-url="/api/chat"
        chat-title="Ask us"
        [suggestions]="suggestions"
        (thinnest-chat-reply)="onReply($event)"
      ></thinnest-chat>
      <p id="last-reply">{{ lastReply() ? 'Last reply: ' + lastReply() : 'No reply yet' }}</p>
      <button id="new-conversation" type="button" (click)="newConversation()">New conversation</button>
    </main>
  `,
})
export class AppComponent {
  protected readonly suggestions = ['What can you do?', 'Show me a table'];
  protected readonly lastReply = signal<string | undefined>(undefined);
  private readonly chat = viewChild.required<ElementRef<ThinnestChat>>('chat');

  protected onReply(event: CustomEvent<ReplyEventDetail>): void {
    this.lastReply.set(event.detail.message);
  }

  protected newConversation(): void {
    this.chat().nativeElement.newSession();
    this.lastReply.set(undefined);
  }
}
