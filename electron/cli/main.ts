console.log('tapedeck');
