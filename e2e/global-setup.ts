import { forgetSecrets } from './secrets'

export default function globalSetup() {
  forgetSecrets()
}
