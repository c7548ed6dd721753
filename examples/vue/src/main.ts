import { createApp } from 'vue';
import 'thinnest-chat'; // defines <thinnest-chat>
import type {} from 'thinnest-chat/vue'; // types <thinnest-chat> in templates (Vue's GlobalComponents)
import App from './App.vue';

createApp(App).mount('#app');
