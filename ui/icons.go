package ui

import "fyne.io/fyne/v2"

// commentIcon is a speech bubble, drawn in the theme's foreground colour
// when wrapped in theme.NewThemedResource.
var commentIcon = fyne.NewStaticResource("comment.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">
<path fill="#000000" d="M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/>
</svg>`))

// boardIcon stands for a board in the sidebar: three columns.
var boardIcon = fyne.NewStaticResource("board.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">
<path fill="#000000" d="M3 4h5v16H3zM9.5 4h5v11h-5zM16 4h5v7h-5z"/>
</svg>`))
