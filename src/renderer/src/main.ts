/// <reference types="vite/client" />
import { mount } from 'svelte'
import './styles/app.css'
import App from './App.svelte'
import { api } from './lib/api'
import { AppState } from './lib/state/app-state.svelte'
import { applyColourScheme, rememberedColourScheme } from './lib/colour-scheme'

// Before anything is drawn: the settings' answer (App.svelte) comes a moment later.
applyColourScheme(document.documentElement, rememberedColourScheme())

const target = document.getElementById('app')
if (!target) throw new Error('index.html has no #app element')

mount(App, { target, props: { app: new AppState(api) } })
