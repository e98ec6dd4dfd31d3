import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { installCloseHandler } from './lib/closing';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

installCloseHandler();

export default mount(App, { target });
