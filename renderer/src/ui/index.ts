import './ui.css'

export { MenuButton, type MenuItem, type MenuButtonProps } from './menu-button.tsx'
export { ModalDialog } from './modal-dialog.tsx'
