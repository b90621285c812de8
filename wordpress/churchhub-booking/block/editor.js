/*
 * The block in the editor, written against WordPress's `wp.*` globals so the plugin needs no
 * build step. The editor shows a placeholder card; the calendar itself is rendered by PHP.
 */
( function ( wp ) {
	const { registerBlockType } = wp.blocks;
	const { useBlockProps, InspectorControls } = wp.blockEditor;
	const { PanelBody, Placeholder, TextControl, SelectControl, BaseControl, ColorPalette } = wp.components;
	const { createElement: el, Fragment } = wp.element;
	const { __, sprintf } = wp.i18n;

	const settings = window.churchhubBookingEditor || { serverConfigured: true, defaultLang: '', brandColor: '' };

	function modeName( mode ) {
		if ( mode === 'popup' ) return __( 'Popup button', 'churchhub-booking' );
		if ( mode === 'floating' ) return __( 'Floating button', 'churchhub-booking' );
		return __( 'Inline calendar', 'churchhub-booking' );
	}

	function Summary( { attributes } ) {
		const lines = [];
		if ( ! attributes.username ) {
			lines.push( __( 'Choose the host (a ChurchHub username) in the block settings.', 'churchhub-booking' ) );
		} else {
			/* translators: %s: the host's ChurchHub username */
			lines.push( sprintf( __( 'Host: %s', 'churchhub-booking' ), attributes.username ) );
			/* translators: %s: inline calendar, popup button or floating button */
			lines.push( sprintf( __( 'Mode: %s', 'churchhub-booking' ), modeName( attributes.mode ) ) );
			if ( attributes.event ) {
				/* translators: %s: an event-type slug such as 30min */
				lines.push( sprintf( __( 'Event type: %s', 'churchhub-booking' ), attributes.event ) );
			}
			if ( attributes.form ) {
				/* translators: %s: a questionnaire slug */
				lines.push( sprintf( __( 'Questionnaire: %s', 'churchhub-booking' ), attributes.form ) );
			}
		}
		if ( ! settings.serverConfigured ) {
			lines.push( __( 'No booking server address is set yet (Settings → ChurchHub Booking): visitors see nothing until it is.', 'churchhub-booking' ) );
		}
		return el( Fragment, null, lines.map( ( line, i ) => el( 'p', { key: i, className: 'churchhub-booking-editor__summary' }, line ) ) );
	}

	function Controls( { attributes, setAttributes } ) {
		const set = ( name ) => ( value ) => setAttributes( { [ name ]: value } );
		const select = ( name, label, options ) => el( SelectControl, { label, value: attributes[ name ], options, onChange: set( name ) } );
		return el(
			InspectorControls,
			null,
			el(
				PanelBody,
				{ title: __( 'Calendar', 'churchhub-booking' ) },
				el( TextControl, {
					label: __( 'Host username', 'churchhub-booking' ),
					help: __( 'The host\'s ChurchHub username, such as zack.', 'churchhub-booking' ),
					value: attributes.username,
					onChange: ( value ) => setAttributes( { username: value.trim().toLowerCase() } ),
				} ),
				el( TextControl, {
					label: __( 'Event type', 'churchhub-booking' ),
					help: __( 'An event-type slug such as 30min; empty lists all of the host\'s event types.', 'churchhub-booking' ),
					value: attributes.event,
					onChange: set( 'event' ),
				} ),
				select( 'mode', __( 'Mode', 'churchhub-booking' ), [ 'inline', 'popup', 'floating' ].map( ( mode ) => ( { value: mode, label: modeName( mode ) } ) ) ),
				attributes.mode !== 'inline' && el( TextControl, {
					label: __( 'Button label', 'churchhub-booking' ),
					help: __( 'Empty: "Book a time" in the calendar\'s language.', 'churchhub-booking' ),
					value: attributes.label,
					onChange: set( 'label' ),
				} ),
				el( TextControl, {
					label: __( 'Questionnaire', 'churchhub-booking' ),
					help: __( 'The slug of a questionnaire asked before the calendar; empty for none.', 'churchhub-booking' ),
					value: attributes.form,
					onChange: set( 'form' ),
				} )
			),
			el(
				PanelBody,
				{ title: __( 'Appearance', 'churchhub-booking' ), initialOpen: false },
				select( 'lang', __( 'Language', 'churchhub-booking' ), [
					{ value: '', label: __( 'Default (from the plugin\'s settings)', 'churchhub-booking' ) },
					{ value: 'en', label: __( 'English', 'churchhub-booking' ) },
					{ value: 'es', label: __( 'Spanish', 'churchhub-booking' ) },
				] ),
				select( 'theme', __( 'Theme', 'churchhub-booking' ), [
					{ value: '', label: __( 'Cal.com\'s default', 'churchhub-booking' ) },
					{ value: 'light', label: __( 'Light', 'churchhub-booking' ) },
					{ value: 'dark', label: __( 'Dark', 'churchhub-booking' ) },
					{ value: 'auto', label: __( 'Follow the visitor\'s device', 'churchhub-booking' ) },
				] ),
				el(
					BaseControl,
					{
						id: 'churchhub-booking-brand-color',
						label: __( 'Brand colour', 'churchhub-booking' ),
						help: settings.brandColor
							/* translators: %s: a hex colour */
							? sprintf( __( 'Empty: the plugin\'s default, %s.', 'churchhub-booking' ), settings.brandColor )
							: __( 'Empty: Cal.com\'s own colour.', 'churchhub-booking' ),
					},
					el( ColorPalette, {
						colors: [],
						value: attributes.brandColor || undefined,
						onChange: ( value ) => setAttributes( { brandColor: value || '' } ),
						clearable: true,
					} )
				)
			)
		);
	}

	registerBlockType( 'churchhub/booking', {
		edit( props ) {
			return el(
				'div',
				useBlockProps(),
				el( Controls, props ),
				el(
					Placeholder,
					{ icon: 'calendar-alt', label: __( 'ChurchHub Booking', 'churchhub-booking' ), className: 'churchhub-booking-editor' },
					el( Summary, { attributes: props.attributes } )
				)
			);
		},
		// Rendered by render.php: the post stores only the block's comment.
		save: () => null,
	} );
} )( window.wp );
